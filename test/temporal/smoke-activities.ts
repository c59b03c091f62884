export function createSmokeActivities(prefix: string) {
  return {
    greet(name: string): Promise<string> {
      return Promise.resolve(`${prefix}, ${name}`);
    },
  };
}
