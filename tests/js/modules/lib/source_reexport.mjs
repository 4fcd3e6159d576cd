// Re-exports a source phase import (an indirect export of ~source~).
import source src from '<module source>';
export { src, src as src2 };
