//! Effects, tasks and reactive children behind erased types: Leptos
//! generates its machinery per closure or future type, so routing every
//! widget's closures through one boxed type keeps one copy in the wasm.

use leptos::prelude::*;

/// `Effect::new` behind one erased closure type: every effect of the widgets
/// shares one copy of the effect machinery (and of its async task) in the
/// wasm instead of one per closure.
pub fn effect(f: impl Fn() + 'static) {
    erased_effect(Box::new(f));
}

fn erased_effect(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}

/// `spawn_local` behind one erased future type (one copy of the task glue).
pub fn spawn(fut: impl std::future::Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(fut));
}

fn spawn_boxed(fut: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) {
    leptos::task::spawn_local(fut);
}

/// A reactive child (`{move || ...}` in a view) behind one erased closure
/// type: Leptos generates the render/rebuild code of a reactive child per
/// closure type, so every dynamic part of the widgets shares one copy.
pub fn dyn_view(f: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    erased_view(std::sync::Arc::new(f))
}

fn erased_view(f: std::sync::Arc<dyn Fn() -> AnyView + Send + Sync>) -> impl IntoView {
    move || f()
}
