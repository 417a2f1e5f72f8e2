// Compiles one Solidity file offline with solc-js (npm "solc"); prints {"abi":..,"bytecode":"0x.."} as JSON.
// Usage: node compile.cjs <file.sol> <ContractName>   (NODE_PATH must reach the solc package)
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const [file, name] = process.argv.slice(2);
const input = {
  language: 'Solidity',
  sources: { [path.basename(file)]: { content: fs.readFileSync(file, 'utf8') } },
  settings: { evmVersion: 'cancun', optimizer: { enabled: false }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  console.error(errors.map((e) => e.formattedMessage).join('\n'));
  process.exit(1);
}
const c = out.contracts[path.basename(file)][name];
process.stdout.write(JSON.stringify({ abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, solc: solc.version() }));
