/**
 * A part of the service-controller that runs beside the reconcilers (the router connection, service
 * sync): started before the manager, stopped after it, in reverse order.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}
