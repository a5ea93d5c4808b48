namespace KmlSim.Tests.Native;

/// <summary>
/// Random operand values biased towards the edges where arithmetic goes wrong: zero, one, all ones, the
/// sign bit and its neighbour, small magnitudes of either sign; uniform values the rest of the time.
/// </summary>
internal static class InputValues
{
    /// <summary>A value of <paramref name="size"/> bytes (zero-extended).</summary>
    public static ulong Next(Random rng, int size)
    {
        ulong mask = TestOperand.Mask(size);
        ulong sign = 1UL << ((size * 8) - 1);
        ulong value = rng.Next(12) switch
        {
            0 => 0,
            1 => 1,
            2 => ulong.MaxValue,
            3 => sign,
            4 => sign - 1,
            5 => sign + 1,
            6 => (ulong)rng.Next(0, 70),
            7 => (ulong)-rng.Next(1, 70),
            _ => Uniform(rng),
        };
        return value & mask;
    }

    /// <summary>A 64-bit register value whose low 1, 2, 4 or 8 bytes are an edge value, so every operand size sees one.</summary>
    public static ulong Register(Random rng)
    {
        int size = 1 << rng.Next(4);
        ulong upper = rng.Next(4) switch
        {
            0 => 0,
            1 => ulong.MaxValue,
            _ => Uniform(rng),
        };
        ulong mask = TestOperand.Mask(size);
        return (upper & ~mask) | Next(rng, size);
    }

    public static ulong Uniform(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
}
