namespace Forecaster.Worker.Hosting;

/// <summary>Periodic work run between batches on the loop's thread (in the manner of Kafka Streams' punctuators); each decides itself whether it is due.</summary>
internal interface IPunctuator
{
    void Punctuate();
}
