// hello.js - run with: jsrun examples/hello.js
function greet(name) {
    return `Hello, ${name}!`;
}
print(greet("world"));
console.log("6 * 7 =", 6 * 7);
