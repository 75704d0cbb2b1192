export { createPort, Port } from './supervisor.js';
export type { PortEvents, PortExit } from './supervisor.js';
export type { PortOptions, RestartPolicy } from './options.js';
export { FrameReader, encodeFrame, frameHeaderBytes, maxDeclarableFrameBytes } from './framing.js';
export type { FrameReaderHandlers } from './framing.js';
export { MalformedMessage, decodeReply, decodeRequest, encodeReply, encodeRequest, isShortAscii } from './codec.js';
export type { Reply, Request } from './codec.js';
export { pieces, portResource } from './resource.js';
export type { PortAccess, PortHandle, PortResource } from './resource.js';
