namespace WasmKube.Runtime.SpecTests;

/// <summary>A command cannot run because of what happened earlier in the script (e.g. its module did not instantiate).</summary>
internal sealed class ScriptStateException(string message) : Exception(message);
