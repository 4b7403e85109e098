// Settings every demo host hands to its app, as an admin would configure
// them. `bt-broker --sandbox` serves them with the sandbox appliance's real
// address as its hostname.
export async function demoSettings() {
  const res = await fetch('/apps/demo-settings.json', { cache: 'no-store' });
  if (!res.ok) throw new Error('demo settings missing: start the demo with `cargo xtask demo`');
  return res.json();
}

// Stands in for the host's server-side signer (Zendesk's proxy, Salesforce
// Apex): the sandbox broker mints a short-lived token for the dev host.
export async function hostToken(sub) {
  const res = await fetch('/dev/host-token?sub=' + encodeURIComponent(sub), { cache: 'no-store' });
  if (!res.ok) throw new Error('cannot mint a demo token: ' + res.status);
  return (await res.json()).token;
}
