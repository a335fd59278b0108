/**
 * Reads the Kubernetes Secret shape both token kinds share: labels, annotations and base64 data,
 * with each missing piece reported as a SKIFF_ERR_TOKEN_INVALID naming the file and the field.
 */
import { X509Certificate } from 'node:crypto';
import { TOKEN_TYPE_LABEL } from '../../../common/src/tokens/secret-names.js';
import { asRecord, parseYaml, yamlError } from '../../../common/src/tokens/yaml-values.js';
import { CliError, ErrorCode } from '../errors.js';

export { GENERATED_BY, SITE_VERSION, TOKEN_TYPE_LABEL } from '../../../common/src/tokens/secret-names.js';

/** The value as a plain object; anything else reads as an empty one (its fields then reported missing). */
const record = (value: unknown): Record<string, unknown> => asRecord(value) ?? {};

export class SecretDocument {
  private constructor(
    private readonly file: string,
    readonly name: string | undefined,
    readonly labels: Record<string, unknown>,
    readonly annotations: Record<string, unknown>,
    private readonly data: Record<string, unknown>,
  ) {}

  static parse(text: string, file: string): SecretDocument {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (error) {
      throw invalidToken(file, yamlError(error));
    }
    const secret = record(doc);
    if (secret.kind !== 'Secret') throw invalidToken(file, 'expected a Secret or an AccessToken');
    const metadata = record(secret.metadata);
    return new SecretDocument(file, typeof metadata.name === 'string' ? metadata.name : undefined, record(metadata.labels), record(metadata.annotations), record(secret.data));
  }

  get type(): unknown {
    return this.labels[TOKEN_TYPE_LABEL];
  }

  invalid(why: string): CliError {
    return invalidToken(this.file, why);
  }

  annotation(key: string): string {
    const value = this.annotations[key];
    if (typeof value !== 'string' || value === '') throw this.invalid(`annotation ${key} is missing`);
    return value;
  }

  optionalAnnotation(key: string): string | undefined {
    const value = this.annotations[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  port(key: string): number {
    const value = Number(this.annotation(key));
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw this.invalid(`annotation ${key} is not a port`);
    return value;
  }

  /**
   * A data entry that must hold a PEM certificate. Checked here so an edited certificate is reported
   * as a bad token file rather than later as an obscure TLS failure.
   */
  certificate(key: string): string {
    const text = this.text(key);
    try {
      new X509Certificate(text);
    } catch {
      throw this.invalid(`data.${key} is not a PEM certificate (was the file edited?)`);
    }
    return text;
  }

  /** A data entry, decoded from base64. */
  text(key: string): string {
    const value = this.data[key];
    if (typeof value !== 'string' || value === '') throw this.invalid(`data.${key} is missing`);
    return Buffer.from(value, 'base64').toString('utf8');
  }
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** SKIFF_ERR_TOKEN_INVALID for `file`, saying why. */
export function invalidToken(file: string, why: string): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_TOKEN_INVALID, `${file} is not a usable token: ${why}`, "make a new one on the other site with 'skiff token create FILE'");
}
