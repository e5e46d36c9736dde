using ScopeClaims.Fuzz;
using SharpFuzz;

// Usage (under afl-fuzz, see fuzz/run.sh): ScopeClaims.Fuzz normalizer-json|scopeset|converter|converter-json
if (args.Length != 1 || !FuzzTargets.Names.Contains(args[0]))
{
    await Console.Error.WriteLineAsync($"usage: ScopeClaims.Fuzz <{string.Join('|', FuzzTargets.Names)}>");
    return 2;
}

var target = args[0];


// Note: no warm-up call before Run: instrumented code touches the AFL shared memory, which only exists inside Run.
// Out of process, so a stack overflow or a hang in the target is reported as a crash rather than killing the loop.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;
