export { machine, onPath } from './machine.js';
export type { MachineProbe } from './machine.js';
export { usableWasmRoute, wasmRoutes, wasmTarget } from './wasm.js';
export type { WasmBuild, WasmRoute, WasmRouteName } from './wasm.js';
