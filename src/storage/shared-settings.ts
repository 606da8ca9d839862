/** Values every instance must agree on (the generated channel secret), kept where all instances read them. */
export interface SharedSettings {
  /**
   * The value stored under `name`; when there is none, stores `generate()` first. Instances racing on a first
   * start all get the value of the one that stored first.
   */
  getOrCreate(name: string, generate: () => string): Promise<string>;
}
