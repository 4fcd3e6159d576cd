var fromInclude = 42;
