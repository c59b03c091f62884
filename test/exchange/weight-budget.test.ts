import { LocalWeightBudget } from '../../src/exchange/weight-budget.js';
import { describeWeightBudgetContract } from './weight-budget.contract.js';

describeWeightBudgetContract('LocalWeightBudget (one process)', (limit, windowMs) =>
  Promise.resolve({ budget: new LocalWeightBudget(limit, windowMs), close: () => Promise.resolve() }),
);
