// Sums vitest JSON reports into the one closing line CI reads: "N passed, M failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    failed += 1; // a suite that produced no report did not pass
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += Math.max(report.numFailedTests ?? 0, report.numFailedTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
