// Prints Jest's JSON result as the plain line CI reads: "N passed, N failed".
const { readFileSync } = require('node:fs');

const file = process.argv[2] ?? 'test-results/jest.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`no Jest results in ${file}: ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(0);
}
// A suite that fails to load has no test results of its own: count it as a failure.
const brokenSuites = results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
console.log(`${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed, ${results.numPendingTests} skipped`);
