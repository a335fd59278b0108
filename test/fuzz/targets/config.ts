/**
 * The config loader (parseJsonConfig + buildRouterConfig): real configs edited as JSON trees
 * (attributes dropped, added from the schema's names, given values of other types) and as text.
 * Only ConfigError, with a message that names the file.
 */
import { buildRouterConfig, parseJsonConfig } from '../../../router/src/config/load.js';
import { CONFIG_TYPES } from '../../../router/src/config/schema-config.js';
import { configureLog } from '../../../router/src/log.js';
import { ConfigError } from '../../../router/src/errors.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedDocuments, type Json } from '../mutate.js';
import { configSeeds } from '../seeds.js';

const FILE = 'fuzz.json';

/** Entity and attribute names of the schema: what an edit adds to reach the validators. */
const NAMES = [...new Set(CONFIG_TYPES.flatMap((type) => [type.name, ...Object.values(type.attributes).map((a) => a.name)]))];

export const configTarget: FuzzTarget<string> = {
  name: 'config',
  about: 'parseJsonConfig + buildRouterConfig: only ConfigError, naming the file',
  input: mutatedDocuments(configSeeds() as Json[], (doc) => JSON.stringify(doc, null, 1), NAMES),
  async setup() {
    configureLog('DEFAULT', { enable: 'none' });
    return async () => configureLog('DEFAULT', { enable: 'info+' });
  },
  run(text) {
    documentedOnly(ConfigError, () => {
      try {
        buildRouterConfig(parseJsonConfig(text, FILE), FILE);
      } catch (error) {
        if (error instanceof ConfigError && !error.message.includes(FILE)) throw new Error(`a ConfigError does not name the file: ${error.message}`);
        throw error;
      }
    });
  },
};
