export const x = 1;
throw new RangeError('boom');
