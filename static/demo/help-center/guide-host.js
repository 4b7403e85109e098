// Renders what Guide renders from the theme snippet: the config element with
// {{request.id}} and the issue list, then the single js asset (no .wasm).
import { demoSettings } from '/demo/demo-settings.js';

const settings = await demoSettings();
const config = document.createElement('script');
config.type = 'application/json';
config.id = 'bt-config';
config.textContent = JSON.stringify({ record: '1234', hostname: settings.hostname, issues: settings.issues, locale: document.documentElement.lang });
document.getElementById('bt-click-to-chat').before(config);
const asset = document.createElement('script');
if (new URLSearchParams(location.search).get('app') === 'plain') {
  asset.type = 'module';
  asset.src = '/bench/plain.js?layout=chat'; // the load benchmark's plain-JS baseline
} else {
  asset.src = '/packages/help-center/bt-click-to-chat.js';
}
document.body.append(asset);
