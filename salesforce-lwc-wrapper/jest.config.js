// Jest for the Lightning Web Components, via @salesforce/sfdx-lwc-jest
// (`npm test`, or `npx --no-install sfdx-lwc-jest -- --ci` as `cargo xtask test` runs it).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
    testPathIgnorePatterns: [...(jestConfig.testPathIgnorePatterns || []), '<rootDir>/.sf/', '<rootDir>/.sfdx/']
};
