// The Case's "BeyondTrust Sessions" related list: the BeyondTrust_Session__c
// records the broker's write-back upserted into the sandbox's Salesforce
// stand-in for this Case, newest first, with the columns of the shipped
// Case layout. Read through the broker's dev route (same origin; the page
// holds no Salesforce token) and polled, so a record appears a moment after
// a demo session ends. Values are inserted as text; links only when they are
// http(s) URLs.
const CASE_ID = '5003000000D8cuIAAR';
const POLL_MS = 2000;
const table = document.getElementById('bts-table');
const body = table.querySelector('tbody');
const status = document.getElementById('bts-status');
let failing = false;
let shown = '';

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function link(url, label) {
  const td = document.createElement('td');
  if (typeof url === 'string' && /^https?:\/\//.test(url)) {
    const a = document.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = label;
    td.append(a);
  }
  return td;
}

function duration(seconds) {
  if (typeof seconds !== 'number') return '';
  const m = Math.floor(seconds / 60);
  return `${m} min ${seconds % 60} s`;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

function row(r) {
  const tr = document.createElement('tr');
  tr.dataset.lsid = String(r.LSID__c ?? '');
  tr.append(
    cell(when(r.Start_Time__c)),
    cell(String(r.Primary_Rep__c ?? '')),
    cell(String(r.Primary_Customer__c ?? '')),
    cell(duration(r.Duration_Seconds__c)),
    link(r.Chat_URL__c, 'Chat transcript'),
    link(r.Recording_URL__c, 'Recording'),
  );
  return tr;
}

async function refresh() {
  let records;
  try {
    const res = await fetch(`/dev/salesforce/cases/${CASE_ID}/sessions`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    records = (await res.json()).records || [];
  } catch {
    if (!failing) status.textContent = 'The BeyondTrust Sessions cannot be loaded right now; trying again.';
    failing = true;
    return;
  }
  failing = false;
  // Newest first, as the layout's related list sorts them.
  records.sort((a, b) => String(b.Start_Time__c ?? '').localeCompare(String(a.Start_Time__c ?? '')));
  const key = JSON.stringify(records.map((r) => [r.Id, r.Start_Time__c, r.Customer_Survey__c ? 1 : 0]));
  if (key === shown) return;
  const before = body.children.length;
  body.replaceChildren(...records.map(row));
  shown = key;
  table.hidden = records.length === 0;
  status.textContent = records.length === 0
    ? 'No BeyondTrust sessions on this case yet.'
    : records.length > before
      ? `${records.length} BeyondTrust session${records.length === 1 ? '' : 's'} on this case.`
      : status.textContent;
}

refresh();
setInterval(refresh, POLL_MS);
