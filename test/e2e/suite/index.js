// The extension-host entry (extensionTestsPath): mocha over every *.test.js beside it.
exports.run = () => require('../harness/mochaRun').run({ dir: __dirname, ui: 'tdd', timeout: 60000 });
