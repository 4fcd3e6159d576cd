// The same module source re-exported by a second module.
import source src from '<module source>';
export { src };
