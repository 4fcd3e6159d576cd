throw new Error("fixtures are not tests");
