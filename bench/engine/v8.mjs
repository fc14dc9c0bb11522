// V8 driver for one kernel (node): instantiates the module with no imports, calls run(n) the given number of times
// and prints "checksum=<u32> seconds=<s1>,<s2>,..." like the native driver. Run with --no-liftoff so every function
// is compiled by V8's optimizing tier up front (a single long call never tiers up from the baseline compiler).
import { readFile } from 'node:fs/promises';

const [file, nText, runsText] = process.argv.slice(2);
if (!file || !nText || !runsText) {
  console.error('usage: node --no-liftoff v8.mjs <kernel.wasm> <n> <runs>');
  process.exit(2);
}

const { instance } = await WebAssembly.instantiate(await readFile(file), {});
const run = instance.exports.run;
const n = Number(nText);
const seconds = [];
let checksum;
for (let i = 0; i < Number(runsText); i++) {
  const start = process.hrtime.bigint();
  const result = run(n) >>> 0;
  seconds.push((Number(process.hrtime.bigint() - start) / 1e9).toFixed(6));
  if (checksum !== undefined && result !== checksum) {
    console.error(`run ${i} returned ${result}, run 0 returned ${checksum}`);
    process.exit(1);
  }
  checksum = result;
}
console.log(`checksum=${checksum} seconds=${seconds.join(',')}`);
