/**
 * An idle port must not keep Node alive; a busy one must, or a call could be lost: Node would exit with
 * the call unsettled and its handlers never run. While calls are outstanding (waiting, in flight, or
 * awaiting a restart) the port's handles are referenced — the child process, its stdout and stderr (all
 * three must report before 'close' settles the calls of a child that died) and a pending restart timer
 * — and unreferenced otherwise. The child's stdin is never one of them.
 */

export interface Refable {
  ref(): unknown;
  unref(): unknown;
}

export class KeepAlive {
  private readonly handles = new Set<Refable>();
  /** Whether the handles are referenced now; Node creates handles referenced. */
  private referenced = true;

  /** Takes on handles Node has just created (referenced), bringing them to the state of the others. */
  hold(...handles: Refable[]): void {
    for (const handle of handles) {
      this.handles.add(handle);
      if (!this.referenced) handle.unref();
    }
  }

  /** Forgets handles that are closed or done. */
  release(...handles: Refable[]): void {
    for (const handle of handles) this.handles.delete(handle);
  }

  /** References every handle held while calls are `outstanding`, none otherwise. */
  update(outstanding: boolean): void {
    if (outstanding === this.referenced) return;
    this.referenced = outstanding;
    for (const handle of this.handles) {
      if (outstanding) handle.ref();
      else handle.unref();
    }
  }
}
