import { postgresDatabases } from './ledger-databases.js';
import { describeLedgerContract } from './ledger.contract.js';

// Databases of the suite's own on 127.0.0.1:5432, created and dropped by it; skipped, saying why, if none answers.
describeLedgerContract('PostgreSQL (databases of its own)', await postgresDatabases());
