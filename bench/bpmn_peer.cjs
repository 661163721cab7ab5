// bpmn_peer.cjs: the in-memory peer of bench/bench_bpmn.c (issue 21): npm
// bpmn-engine running the process bench_bpmn drives through gonggai's API —
// one parallel stage of five items, each item a branch of user tasks, one
// per action the API takes its 办件 through (accept, start_review,
// next_step for each middle 环节, approve) — with CLIENTS instances in flight
// at once, each a new engine over the process definition parsed once
// (the engine's moddleContext option: no XML parsing per instance, the
// peer at its fastest), and every user task signalled on the next turn of
// the event loop (as a client's request would arrive).
// Usage: node bench/bpmn_peer.cjs INSTANCES CLIENTS STEPS,STEPS,...
// Prints: "transitions N seconds S per_second R".
'use strict';
const { Engine } = require('bpmn-engine');
const BpmnModdle = require('bpmn-moddle');
const { EventEmitter } = require('node:events');

const total = Number(process.argv[2] || 192);
const clients = Number(process.argv[3] || 32);
const steps = (process.argv[4] || '3,3,4,4,3').split(',').map(Number);

// The user tasks of an item with n 环节: accept, start_review, n-2 next_step, approve.
function branch(i, n) {
  const names = ['accept', 'start_review', ...Array(n - 2).fill('next_step'), 'approve'];
  const ids = names.map((a, k) => `item${i}_${k}_${a}`);
  let xml = ids.map((id) => `<userTask id="${id}" />`).join('');
  xml += `<sequenceFlow id="f${i}_in" sourceRef="split" targetRef="${ids[0]}" />`;
  for (let k = 1; k < ids.length; k++)
    xml += `<sequenceFlow id="f${i}_${k}" sourceRef="${ids[k - 1]}" targetRef="${ids[k]}" />`;
  xml += `<sequenceFlow id="f${i}_out" sourceRef="${ids[ids.length - 1]}" targetRef="join" />`;
  return { xml, tasks: ids.length };
}

const branches = steps.map((n, i) => branch(i, n));
const perInstance = branches.reduce((s, b) => s + b.tasks, 0);
const source = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="gonggai" targetNamespace="http://bpmn.io/schema/bpmn">
<process id="stage5" isExecutable="true">
<startEvent id="apply" /><sequenceFlow id="f_apply" sourceRef="apply" targetRef="split" />
<parallelGateway id="split" />${branches.map((b) => b.xml).join('')}
<parallelGateway id="join" /><sequenceFlow id="f_end" sourceRef="join" targetRef="end" /><endEvent id="end" />
</process></definitions>`;

let signalled = 0;
let moddleContext;

async function instance(n) {
  const engine = new Engine({ name: `stage5-${n}`, moddleContext });
  const listener = new EventEmitter();
  listener.on('wait', (api) => setImmediate(() => { signalled++; api.signal(); }));
  const ended = new Promise((resolve, reject) => {
    engine.once('end', resolve);
    engine.once('error', reject);
  });
  await engine.execute({ listener });
  await ended;
}

async function client(next) {
  for (let n = next(); n >= 0; n = next())
    await instance(n);
}

(async () => {
  let issued = 0;
  const next = () => (issued < total ? issued++ : -1);
  moddleContext = await new BpmnModdle().fromXML(source);
  await instance(-1);                       // warm-up: modules loaded, code compiled
  signalled = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, () => client(next)));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (signalled !== total * perInstance) {
    console.error(`bpmn_peer: ${signalled} transitions, expected ${total * perInstance}`);
    process.exit(1);
  }
  console.log(`transitions ${signalled} seconds ${s.toFixed(3)} per_second ${(signalled / s).toFixed(0)}`);
})().catch((err) => {
  console.error(`bpmn_peer: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
