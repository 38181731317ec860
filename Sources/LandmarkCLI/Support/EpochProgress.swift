import Training

/// A progress bar per epoch for a trainer, started when the epoch starts so its rate and ETA include
/// the first batch. Shared by `train` and `demo`.
enum EpochProgress {
    static func attach(to trainer: Trainer, epochs: Int, batchSize: Int, firstEpoch: Int = 1) {
        let imagesPerEpoch = trainer.batchesPerEpoch * batchSize
        var bar = ProgressBar("epoch \(firstEpoch)/\(epochs)", total: imagesPerEpoch, unit: "images")
        trainer.callbacks.batch = { p in
            bar.update(done: min(p.batch * batchSize, imagesPerEpoch), note: String(format: "loss %.5g", p.meanLoss))
        }
        trainer.callbacks.epoch = { r in
            bar = ProgressBar("epoch \(r.epoch + 1)/\(epochs)", total: imagesPerEpoch, unit: "images")
        }
    }
}

/// The refinement stage's progress bar: one per epoch, counted in batches.
enum RefinerProgress {
    static func attach(to refiner: RefinerTrainer) {
        var bar: ProgressBar?
        refiner.onBatch = { epoch, batch, batches, loss in
            if bar == nil || batch == 1 { bar = ProgressBar("refiner epoch \(epoch)/\(refiner.config.epochs)", total: batches, unit: "batches") }
            bar?.update(done: batch, note: String(format: "loss %.5g", loss))
        }
    }
}
