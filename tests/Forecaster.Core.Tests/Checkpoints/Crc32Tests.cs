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
}
