// `npx plop <kind>` at the repository root runs the same generators the CLI ships.
export { default } from './generators/index.js';
