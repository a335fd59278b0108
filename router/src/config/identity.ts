/**
 * Entity names and identities as skupper-router's agent makes them, so that `skmanage` prints the
 * same identities for Skiff: listeners and connectors `listener/<host>:<port>:<name>`, sslProfiles
 * `sslProfile/<name>`, logs `log/<module>`, the router `router/<id>`, and for types answered by
 * the C agent (router.config.address) a bare per-type counter.
 */
import type { AttributeMap } from './coerce.js';
import type { EntityTypeSpec } from './schema-types.js';

const text = (attributes: AttributeMap, name: string): string => {
  const value = attributes[name];
  return value === null || value === undefined ? '' : String(value);
};

/** The part after `<type>/` in an identity. `counter` numbers entities of counter-identified types. */
export function identifierOf(spec: EntityTypeSpec, attributes: AttributeMap, counter: number): string {
  switch (spec.identity) {
    case 'hostPortName': {
      const hostPort = `${text(attributes, 'host')}:${text(attributes, 'port')}`;
      const name = text(attributes, 'name');
      return name === '' ? hostPort : `${hostPort}:${name}`;
    }
    case 'name':
      return text(attributes, 'name');
    case 'id':
      return text(attributes, 'id');
    case 'module':
      return text(attributes, 'module');
    case 'counter':
      return String(counter);
    case 'provided':
      return text(attributes, 'identity');
  }
}

/** The short type name shown in identities and default names (`address` for router.config.address). */
export function displayTypeName(spec: EntityTypeSpec): string {
  return spec.configName ?? spec.name;
}

export function identityOf(spec: EntityTypeSpec, attributes: AttributeMap, counter: number): string {
  const identifier = identifierOf(spec, attributes, counter);
  if (spec.identity === 'provided' || (spec.agent === 'core' && spec.identity === 'counter')) return identifier;
  return `${displayTypeName(spec)}/${identifier}`;
}

/** The name an entity gets when none was given: `<type>/<identifier>`, as skupper-router does. */
export function defaultNameOf(spec: EntityTypeSpec, attributes: AttributeMap, counter: number): string {
  return `${displayTypeName(spec)}/${identifierOf(spec, attributes, counter)}`;
}

/** `listener 'amqp'`: how messages name an entity. */
export function entityLabel(spec: EntityTypeSpec, name: string | undefined): string {
  return name === undefined || name === '' ? displayTypeName(spec) : `${displayTypeName(spec)} '${name}'`;
}
