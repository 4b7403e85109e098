// The ticket's conversation thread: the comments of the demo ticket in the
// sandbox's Zendesk API stand-in, where the broker's write-back puts each
// finished session and exit survey as an internal note. Fetched through the
// broker's dev route (same origin: the page holds no API token) and polled,
// so a note appears a moment after a demo session ends. Comment text is
// inserted as text (textContent), never as HTML: a chat line such as
// <script> shows as written.
const TICKET = 4711;
const POLL_MS = 2000;
const params = new URLSearchParams(location.search);
const list = document.getElementById('thread');
const status = document.getElementById('thread-status');
const shown = new Set();
let failing = false;

function render(comment) {
  const item = document.createElement('li');
  item.className = 'comment thread-comment' + (comment.public ? '' : ' internal');
  item.dataset.commentId = String(comment.id);
  const meta = document.createElement('p');
  meta.className = 'meta';
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = comment.public ? 'Public reply' : 'Internal note';
  const when = document.createElement('time');
  when.dateTime = String(comment.created_at || '');
  const date = new Date(comment.created_at);
  when.textContent = Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
  meta.append(kind, ' · ', when);
  const body = document.createElement('div');
  body.className = 'body';
  body.textContent = String(comment.plain_body ?? '');
  item.append(meta, body);
  return item;
}

async function refresh() {
  let comments;
  try {
    const res = await fetch(`/dev/zendesk/tickets/${TICKET}/comments.json`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    comments = (await res.json()).comments || [];
  } catch {
    if (!failing) status.textContent = 'The ticket thread cannot be loaded right now; trying again.';
    failing = true;
    return;
  }
  failing = false;
  const added = comments.filter((c) => !shown.has(c.id));
  for (const c of added) {
    shown.add(c.id);
    list.append(render(c));
  }
  list.hidden = shown.size === 0;
  if (added.length > 0) {
    const internal = added.filter((c) => !c.public).length;
    status.textContent = internal === added.length
      ? `${internal} internal note${internal === 1 ? '' : 's'} added to the ticket.`
      : `${added.length} comment${added.length === 1 ? '' : 's'} added to the ticket.`;
  } else if (status.textContent.startsWith('The ticket thread cannot')) {
    status.textContent = '';
  }
}

// A new ticket has no thread yet.
if (params.get('new') !== '1') {
  await refresh();
  setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
}
