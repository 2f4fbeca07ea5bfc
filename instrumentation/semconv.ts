/**
 * Metric and attribute names, from OpenTelemetry semantic conventions 1.45 (incubating where
 * marked Development). Names semconv lacks come from the Collector's hostmetrics receiver
 * (load averages) or are ours, prefixed as semconv would (container limits), and are marked.
 */
export const SYSTEM = {
  cpuTime: 'system.cpu.time',
  cpuUtilization: 'system.cpu.utilization',
  cpuLogicalCount: 'system.cpu.logical.count',
  /** hostmetrics receiver name; semconv has none. */
  load1m: 'system.cpu.load_average.1m',
  load5m: 'system.cpu.load_average.5m',
  load15m: 'system.cpu.load_average.15m',
  memoryUsage: 'system.memory.usage',
  memoryUtilization: 'system.memory.utilization',
  memoryLimit: 'system.memory.limit',
  pagingUsage: 'system.paging.usage',
  pagingUtilization: 'system.paging.utilization',
  pagingFaults: 'system.paging.faults',
  pagingOperations: 'system.paging.operations',
  filesystemUsage: 'system.filesystem.usage',
  filesystemUtilization: 'system.filesystem.utilization',
  filesystemLimit: 'system.filesystem.limit',
  diskIo: 'system.disk.io',
  diskOperations: 'system.disk.operations',
  diskIoTime: 'system.disk.io_time',
  networkIo: 'system.network.io',
  networkPackets: 'system.network.packet.count',
  networkErrors: 'system.network.errors',
  networkDropped: 'system.network.packet.dropped',
  connectionCount: 'system.network.connection.count',
  uptime: 'system.uptime',
} as const;

/** cgroup v2 figures. `container.memory.usage` and `container.cpu.time` are semconv; the limits are ours. */
export const CONTAINER = {
  memoryUsage: 'container.memory.usage',
  memoryLimit: 'container.memory.limit',
  cpuTime: 'container.cpu.time',
  cpuLimit: 'container.cpu.limit',
} as const;

/** Process metrics (semconv `process.*`). */
export const PROCESS = {
  cpuTime: 'process.cpu.time',
  cpuUtilization: 'process.cpu.utilization',
  memoryUsage: 'process.memory.usage',
  memoryVirtual: 'process.memory.virtual',
  threadCount: 'process.thread.count',
  fdCount: 'process.unix.file_descriptor.count',
  contextSwitches: 'process.context_switches',
  pagingFaults: 'process.paging.faults',
  uptime: 'process.uptime',
} as const;

/** Node.js runtime metrics (semconv `nodejs.*` and `v8js.*`). */
export const RUNTIME = {
  delayPrefix: 'nodejs.eventloop.delay.',
  elu: 'nodejs.eventloop.utilization',
  eluTime: 'nodejs.eventloop.time',
  gcDuration: 'v8js.gc.duration',
  heapUsed: 'v8js.memory.heap.used',
  heapSpaceSize: 'v8js.memory.heap.space.size',
  heapSpaceAvailable: 'v8js.memory.heap.space.available_size',
  heapSpacePhysical: 'v8js.memory.heap.space.physical_size',
  resources: 'v8js.resource.active',
} as const;

/** Attribute keys used by more than one producer. */
export const ATTR = {
  cpuMode: 'cpu.mode',
  cpuLogical: 'cpu.logical_number',
  device: 'system.device.name',
  ioDirection: 'disk.io.direction',
  netDirection: 'network.io.direction',
  iface: 'network.interface.name',
  transport: 'network.transport',
  connState: 'network.connection.state',
  memState: 'system.memory.state',
  pagingState: 'system.paging.state',
  pagingFault: 'system.paging.fault.type',
  pagingDirection: 'system.paging.direction',
  fsState: 'system.filesystem.state',
  fsType: 'system.filesystem.type',
  fsMode: 'system.filesystem.mode',
  fsMount: 'system.filesystem.mountpoint',
} as const;
