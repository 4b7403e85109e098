// Who the demo acts as: the sandbox's reps, one per state an agent can be
// in, so a visitor sees each (alice logged in, bob logged out of the
// representative console, carol logged in). The choice is the page's
// `?agent=` parameter; the chooser is a list of links in the demo bar
// (keyboard: Tab and Enter), the current one marked with aria-current.
export const AGENTS = [
  { id: 'alice', name: 'Alice Agent', email: 'alice@example.com', state: 'logged in' },
  { id: 'bob', name: 'Bob Agent', email: 'bob@example.com', state: 'logged out' },
  { id: 'carol', name: 'Carol Agent', email: 'carol@example.com', state: 'logged in' },
];

/** The agent the page's `?agent=` names (alice when it names none we know). */
export function chosenAgent() {
  const id = new URLSearchParams(location.search).get('agent');
  return AGENTS.find((a) => a.id === id) || AGENTS[0];
}

/** Adds the chooser to the page's demo bar and returns the chosen agent. */
export function agentChooser() {
  const chosen = chosenAgent();
  const nav = document.createElement('nav');
  nav.className = 'agent-choice';
  nav.setAttribute('aria-label', 'Demo agent');
  const label = document.createElement('span');
  label.textContent = 'Act as:';
  const list = document.createElement('ul');
  for (const agent of AGENTS) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    const url = new URL(location.href);
    url.searchParams.set('agent', agent.id);
    link.href = url.pathname + url.search;
    link.textContent = `${agent.id} (${agent.state})`;
    if (agent === chosen) link.setAttribute('aria-current', 'true');
    item.append(link);
    list.append(item);
  }
  nav.append(label, list);
  const bar = document.querySelector('header.demo-bar');
  const spacer = bar && bar.querySelector('.spacer');
  if (spacer) spacer.after(nav); else if (bar) bar.append(nav); else document.body.prepend(nav);
  return chosen;
}
