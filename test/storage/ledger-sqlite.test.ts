import { sqliteDatabases } from './ledger-databases.js';
import { describeLedgerContract } from './ledger.contract.js';

// The embedded default: a file under a temporary folder, one per test.
describeLedgerContract('SQLite (a temporary file)', sqliteDatabases());
