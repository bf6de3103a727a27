// `npm run send -- <12338|12348|web> <file.json>`: signs (hotline channels) and posts a JSON file to
// the local API, then prints the response status and JSON body.
// Options via environment: API_URL (default http://localhost:$PORT, PORT as for npm start, 3000), KEY_ID and KEY_SECRET to sign
// with something other than the development keys.
import { readFileSync } from 'node:fs';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL, DEFAULT_API_PORT } from '../local/dev-config.js';
import { signatureHeader } from '../shared/http/signature.js';

const [channel, file] = process.argv.slice(2);
if ((channel !== '12338' && channel !== '12348' && channel !== 'web') || !file) {
  console.error('usage: npm run send -- <12338|12348|web> <file.json>');
  process.exit(2);
}

const body = readFileSync(file);
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (channel !== 'web') {
  const keyId = process.env.KEY_ID ?? DEV_KEY_FOR_CHANNEL[channel];
  const secret = process.env.KEY_SECRET ?? DEV_HOTLINE_KEYS[keyId]?.secret;
  if (!secret) {
    console.error(`no secret for key id ${keyId}: set KEY_SECRET`);
    process.exit(2);
  }
  headers['x-key-id'] = keyId;
  headers['x-signature'] = signatureHeader(secret, Math.floor(Date.now() / 1000), body);
}

// The same PORT as `npm start`, so that `PORT=3001 npm start` and `PORT=3001 npm run send` meet.
const base = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? DEFAULT_API_PORT}`;
try {
  const res = await fetch(`${base}/intake/${channel}`, { method: 'POST', headers, body });
  const text = await res.text();
  console.log(`HTTP ${res.status}`);
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(`could not reach ${base}: is \`npm start\` running? (${(err as Error).message})`);
  process.exit(1);
}
