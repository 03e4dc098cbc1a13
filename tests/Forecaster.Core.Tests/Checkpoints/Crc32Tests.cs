using System.Text;
using Forecaster.Core.Checkpoints;

namespace Forecaster.Core.Tests.Checkpoints;

public class Crc32Tests
{
    [Fact]
    public void Check_value_of_the_standard_test_string()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Appending_pieces_equals_computing_the_whole()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint whole = Crc32.Compute(data);
        uint pieces = Crc32.Append(Crc32.Compute(data.AsSpan(0, 10)), data.AsSpan(10));

        Assert.Equal(0x414FA339u, whole);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Eight_bytes_at_a_time_equals_the_bitwise_definition_at_every_length_and_split()
    {
        var data = new byte[70];
        new Random(3).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var expected = Bitwise(data.AsSpan(0, length));
            Assert.Equal(expected, Crc32.Compute(data.AsSpan(0, length)));
            for (var split = 0; split <= length; split++)
            {
                Assert.Equal(expected, Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split, length - split)));
            }
        }
    }

    /// <summary>The definition, one bit at a time, no tables.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
