export { workflowsPath } from './workflows-path.js';
