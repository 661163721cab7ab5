import { launch, newPage, login, shot } from './lib.mjs';
import fs from 'node:fs';
const base = fs.readFileSync('/tmp/ggt/out.txt', 'utf8').match(/http:\/\/[\d.:]+/)[0];
const b = await launch();
const page = await newPage(b.browser, base);
const steps = process.argv.slice(2).join(' ');
try {
  const fn = new Function('page', 'login', 'shot', `return (async () => { ${steps} })()`);
  await fn(page, login, shot);
} catch (e) { console.log('FAIL', e.message); await shot(page, 'scratch-fail'); }
console.log('errors', page.errors);
await b.close();
