import { shared } from './star.mjs';
export default shared;
