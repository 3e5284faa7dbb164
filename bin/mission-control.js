#!/usr/bin/env node
'use strict';
// The worker is compiled by `npm run build:worker`; this shim keeps the bin path stable.
require('../build/worker/cli.js').main(process.argv);
