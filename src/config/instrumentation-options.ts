import type { ProducerOptions } from '../../instrumentation/registry';

/** Code options of your own producers (`registerProducer`), by name; augment it like {@link PluginExporterOptions}. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginInstrumentationOptions {}

/** `instrumentationOptions`: the built-in producers' options plus those of the producers you declared. */
export type InstrumentationOptions = ProducerOptions & { [K in keyof PluginInstrumentationOptions]?: PluginInstrumentationOptions[K] };

/** A name `instrumentations` accepts: a built-in producer, `all`, `none`, or a producer declared in {@link PluginInstrumentationOptions}. */
export type InstrumentationName = keyof ProducerOptions | 'all' | 'none' | (keyof PluginInstrumentationOptions & string);

