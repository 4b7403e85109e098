// Renders, with plain DOM calls, the layout a wasm app shows first:
// `?layout=sidebar` (case id, session key, Jump forms, history), `case`
// (one Salesforce component), `jump` (Halo), `chat` (help center).
const layout = new URL(import.meta.url).searchParams.get('layout') || new URLSearchParams(location.search).get('layout') || 'sidebar';
const root = document.getElementById('bt-click-to-chat') || document.getElementById('bt-app');
const settings = await (await fetch('/apps/demo-settings.json')).json();
function el(tag, props = {}, ...kids) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
}
let n = 0;
function field(labelText, control) {
  const id = 'f' + (++n);
  control.id = id;
  return [el('label', { htmlFor: id, textContent: labelText }), control];
}
function section(title, ...kids) {
  return el('section', {}, el('h2', { textContent: title }), ...kids);
}
const jumpoints = () => el('select', {}, ...settings.jumpoints.split('\n').map((j) => el('option', { value: j, textContent: j })));
function jumpForms() {
  const forms = [
    ['Jump To', () => field('Jump Client search', el('input'))],
    ['Push and Start Local', () => field('Hostname', el('input'))],
    ['Push and Start Remote', () => [...field('Hostname or IP address', el('input')), ...field('Jumpoint', jumpoints())]],
    ['Start RDP Session', () => [...field('Hostname or IP address', el('input')), ...field('Jumpoint', jumpoints())]],
    ['Start Shell Session', () => [...field('Hostname or IP address', el('input')), ...field('Jumpoint', jumpoints())]],
    ['Start vPro Session', () => [...field('Hostname or IP address', el('input')), ...field('Jumpoint', jumpoints())]],
    ['Start VNC Session', () => [...field('Hostname or IP address', el('input')), ...field('Port', el('input'))]],
  ];
  return section('Jump To', ...forms.map(([name, fields]) => {
    const form = el('form', {}, ...fields(), el('button', { type: 'submit', textContent: name }));
    form.setAttribute('aria-label', name);
    form.addEventListener('submit', (e) => e.preventDefault());
    return form;
  }));
}
const parts = {
  case: () => section('Case ID', ...field('Case ID', el('input', { readOnly: true, value: '4711' }))),
  key: () => section('Session Key', el('button', { textContent: 'Generate Session Key' })),
  history: () => section('BeyondTrust Sessions', el('table', {}, el('tbody'))),
  chat: () => section('Get Support Now', ...field('What do you need help with?', el('select', {}, ...settings.issues.split('\n').map((l) => el('option', { textContent: l.split('=')[1] })))),
    ...field('Your name (optional)', el('input')), ...field('Describe the problem (optional)', el('textarea')), el('button', { textContent: 'Get Support Now' })),
};
const layouts = {
  sidebar: () => [parts.case(), parts.key(), jumpForms(), parts.history()],
  case: () => [parts.key()],
  jump: () => [jumpForms()],
  chat: () => [parts.chat()],
};
root.append(...layouts[layout]());
performance.mark('bt-ready');
