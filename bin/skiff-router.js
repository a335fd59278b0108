#!/usr/bin/env node
import '../dist/router/src/main.js';
