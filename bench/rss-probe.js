// Preloaded first into every measured process: reports its peak RSS (KiB) when it exits.
'use strict';
process.on('exit', () => process.stderr.write(`\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\n`));
