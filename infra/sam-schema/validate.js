#!/usr/bin/env node
// Validates SAM templates against AWS's own SAM JSON schema (sam.schema.json, draft-04, from
// aws/serverless-application-model). Usage: node validate.js [template.yaml ...]. Exit 0 valid, 1 invalid, 2 unusable.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const yaml = require("js-yaml");
const Ajv = require("ajv-draft-04");

const SCHEMA_ID = "sam.schema.json";

function createValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, SCHEMA_ID), "utf8"));
  // Strict mode stays on so that a real mistake in a schema is still reported; the AWS schema's own
  // documentation-only keywords are declared as annotations instead of turning strict mode off.
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addVocabulary(["markdownDescription", "__samPassThrough"]);
  ajv.addSchema(schema, SCHEMA_ID);

  // The schema lists every SAM resource type (and every event type) as branches of an anyOf, so one mistake is
  // reported once per branch. To explain a failure, each resource and event is validated again against just the
  // branch its Type names.
  const compileBranches = (anyOf) => {
    const branches = new Map();
    for (const { $ref } of anyOf ?? []) {
      const name = $ref.replace("#/definitions/", "");
      const type = schema.definitions[name].properties?.Type?.enum?.[0];
      if (type) branches.set(type, { name, validate: ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${name}` }) });
    }
    return branches;
  };
  const resources = compileBranches(schema.properties.Resources.additionalProperties.anyOf);
  for (const resource of resources.values()) {
    const properties = schema.definitions[resource.name.replace(/__Resource$/, "__Properties")];
    resource.events = compileBranches(properties?.properties?.Events?.additionalProperties?.anyOf);
  }
  return { validateTemplate: ajv.getSchema(SCHEMA_ID), resources };
}

function describe(error, prefix) {
  const where = `${prefix}${error.instancePath}` || "(template root)";
  switch (error.keyword) {
    case "additionalProperties":
      return `${where}: unknown property '${error.params.additionalProperty}'`;
    case "enum":
      return `${where}: ${error.message}: ${error.params.allowedValues.join(", ")}`;
    default:
      return `${where}: ${error.message}`;
  }
}

function unknownType(where, kind, type, branches) {
  return `${where}/Type: unknown ${kind} '${type}' (known: ${[...branches.keys()].join(", ")})`;
}

function explainResource(logicalId, resource, branch) {
  const where = `/Resources/${logicalId}`;
  const problems = [];
  if (!branch.validate(resource)) {
    const eventsPath = "/Properties/Events/";
    const outsideEvents = branch.validate.errors.filter((e) => !e.instancePath.startsWith(eventsPath));
    problems.push(...outsideEvents.filter((e) => e.keyword !== "anyOf").map((e) => describe(e, where)));
  }
  for (const [name, event] of Object.entries(resource.Properties?.Events ?? {})) {
    const eventWhere = `${where}/Properties/Events/${name}`;
    const eventBranch = branch.events.get(event?.Type);
    if (!eventBranch) {
      problems.push(unknownType(eventWhere, "event type", event?.Type, branch.events));
    } else if (!eventBranch.validate(event)) {
      problems.push(...eventBranch.validate.errors.map((e) => describe(e, eventWhere)));
    }
  }
  return problems;
}

function explain(template, validators) {
  const problems = [];
  for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
    const type = resource?.Type;
    const branch = validators.resources.get(type);
    if (branch) {
      problems.push(...explainResource(logicalId, resource, branch));
    } else if (typeof type !== "string" || type === "") {
      problems.push(`/Resources/${logicalId}/Type: must be a resource type string, got ${type === undefined ? "none" : JSON.stringify(type)}`);
    } else if (type.startsWith("AWS::Serverless::")) {
      problems.push(unknownType(`/Resources/${logicalId}`, "SAM resource type", type, validators.resources));
    }
  }
  // Outside Resources (e.g. Globals) the schema's own errors are already specific.
  const errors = validators.validateTemplate.errors.filter((e) => e.keyword !== "anyOf");
  problems.push(...errors.filter((e) => !e.instancePath.startsWith("/Resources/")).map((e) => describe(e, "")));
  if (problems.length === 0) {
    problems.push(...errors.map((e) => describe(e, "")));
  }
  return [...new Set(problems)];
}

function loadTemplate(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`template not found: ${path.resolve(file)}`);
  }
  const text = fs.readFileSync(file, "utf8");
  try {
    return yaml.load(text);
  } catch (error) {
    const hint = /unknown .*tag/.test(error.message)
      ? " (write intrinsics in long form: Ref:, Fn::Sub:, Fn::GetAtt: instead of !Ref, !Sub, !GetAtt)"
      : "";
    throw new Error(`${file} is not readable YAML${hint}: ${error.message}`);
  }
}

function main(files) {
  const validators = createValidator();
  let failed = false;
  for (const file of files) {
    const template = loadTemplate(file);
    if (validators.validateTemplate(template)) {
      console.log(`${file}: valid against the SAM schema`);
      continue;
    }
    failed = true;
    console.error(`${file}: INVALID against the SAM schema:`);
    for (const problem of explain(template, validators)) {
      console.error(`  ${problem}`);
    }
  }
  return failed ? 1 : 0;
}

const files = process.argv.slice(2);
try {
  process.exitCode = main(files.length > 0 ? files : [path.join(__dirname, "..", "..", "template.yaml")]);
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exitCode = 2;
}
