// Validates an OpenAPI document with @apidevtools/swagger-parser (the
// OpenAPI 3.0 schema, then its own checks: references resolve, path
// parameters are declared, no duplicate operation).  Prints "valid" and
// exits 0, or prints what is wrong and exits 1.
//
//   node validate.mjs FILE
import SwaggerParser from "@apidevtools/swagger-parser";

try {
	const api = await SwaggerParser.validate(process.argv[2]);
	console.log(`valid ${api.openapi} ${Object.keys(api.paths).length} paths`);
} catch (e) {
	console.log(`invalid: ${e.message}`);
	process.exit(1);
}
