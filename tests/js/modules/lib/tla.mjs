export let value = 'before';
await Promise.resolve();
value = 'after';
