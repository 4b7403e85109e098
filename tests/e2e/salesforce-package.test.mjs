// The Salesforce package as `sf project convert source` sees it: the shipped
// SFDX project (target/packages/salesforce/, written by `cargo xtask
// package`) is converted to Metadata API format by
// @salesforce/source-deploy-retrieve, the library the Salesforce CLI's
// `project convert source` and `project deploy start` run, offline. A
// component the CLI would not recognise, or a folder it would misread, fails
// here before any org sees it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import test from 'node:test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'salesforce-lwc-wrapper/package.json'));
const { ComponentSet, MetadataConverter } = require('@salesforce/source-deploy-retrieve');
const shipped = path.join(root, 'target/packages/salesforce/force-app');

const SESSION_FIELDS = [
  'LSID__c', 'Case__c', 'Start_Time__c', 'End_Time__c', 'Duration_Seconds__c', 'Primary_Rep__c',
  'Primary_Customer__c', 'Chat_URL__c', 'Recording_URL__c', 'Session_Report__c', 'Chat_Transcript__c',
  'Customer_Survey__c', 'Rep_Survey__c',
];

test('Salesforce package: the CLI converter reads every shipped component and writes a deployable package', async () => {
  assert.ok(fs.existsSync(shipped), `${shipped} is missing: run cargo xtask package`);
  const set = ComponentSet.fromSource(shipped);
  const found = set.getSourceComponents().toArray().map((c) => `${c.type.name}:${c.fullName}`).sort();
  for (const want of [
    'ApexClass:BeyondTrustBrokerToken',
    'ApexClass:BeyondTrustBrokerTokenTest',
    'CspTrustedSite:BeyondTrust_Broker',
    'CustomObject:BeyondTrust_Session__c',
    'CustomObject:BeyondTrust_Setting__mdt',
    'CustomTab:BeyondTrust_Session__c',
    'Layout:BeyondTrust_Session__c-BeyondTrust Session Layout',
    'Layout:Case-BeyondTrust Case Layout',
    'LightningComponentBundle:beyondTrustRemoteSupport',
    'PermissionSet:BeyondTrust_Remote_Support',
    'PermissionSet:BeyondTrust_Session_Writer',
    'StaticResource:BeyondTrustWidget',
  ]) {
    assert.ok(found.includes(want), `${want} not recognised; the converter found: ${found.join(', ')}`);
  }

  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-sfdx-convert-'));
  try {
    await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false });
    const manifest = fs.readFileSync(path.join(out, 'package.xml'), 'utf8');
    for (const field of SESSION_FIELDS) {
      assert.ok(manifest.includes(`<members>BeyondTrust_Session__c.${field}</members>`), `package.xml lacks the field ${field}`);
    }
    assert.ok(manifest.includes('<members>BeyondTrust_Session__c.All</members>'), 'package.xml lacks the All list view');

    // The object file the Metadata API receives: the upsert key is unique.
    const object = fs.readFileSync(path.join(out, 'objects/BeyondTrust_Session__c.object'), 'utf8');
    const lsid = object.match(/<fields>\s*<fullName>LSID__c<\/fullName>[\s\S]*?<\/fields>/);
    assert.ok(lsid, 'LSID__c is in the converted object');
    assert.match(lsid[0], /<externalId>true<\/externalId>/);
    assert.match(lsid[0], /<unique>true<\/unique>/);

    // The expanded static resource is zipped on conversion, with the widget's page.
    const resource = fs.readFileSync(path.join(out, 'staticresources/BeyondTrustWidget.resource'));
    assert.equal(resource.subarray(0, 2).toString('latin1'), 'PK', 'the static resource is a zip');
    assert.ok(resource.includes(Buffer.from('index.html')), 'the zip holds index.html');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
