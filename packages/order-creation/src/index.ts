// Order creation in one place (contract §4): the pure planner from a validated order to its workflow input, the one
// start of an order's workflow, and the creation saga the gateway runs for `POST /orders`.
export { CreationConflict, CreationRefused } from './errors.js';
export { planSigningOrder, type PlanContext } from './plan.js';
export { startSigningOrder } from './start.js';
export {
  beginOrder,
  createSigningOrder,
  RESERVATION_MS,
  type CreatedOrder,
  type CreationDeps,
  type CreationRequest,
} from './saga.js';
export { MISSING_UPLOAD, serverSettingViolations, validateCreation } from './validate.js';
