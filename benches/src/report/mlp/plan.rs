//! What the MLP sections measure (full or `--quick`), the file names each model's
//! steps use, and the exact `ternzk …` argument lists that run them. The names are
//! the ones a user would type from the repository root, so the command shown in the
//! report is the command that ran (the runner links `models/` into its directory).

use super::super::command::shell_join;

/// Where a model of the ladder comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A dense (QAT) `.safetensors` under `models/`, compiled by the report.
    Dense(String),
    /// An already compiled model under `models/`: no compile step, accuracy from
    /// `ternzk eval`.
    Compiled(String),
}

/// One model of the ladder: an architecture at one density.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSpec {
    /// Layer widths joined by `-`, e.g. `784-256-256-10`.
    pub arch: String,
    /// The density is `1/denominator` (4 or 16).
    pub denominator: u32,
    /// Where it comes from.
    pub source: Source,
}

impl ModelSpec {
    /// `arch` compiled at `1/denominator` from `models/mlp-<arch>-qat-d<denominator>.safetensors`.
    /// Cost: O(1).
    pub fn qat(arch: &str, denominator: u32) -> Self {
        ModelSpec {
            arch: arch.into(),
            denominator,
            source: Source::Dense(format!("models/mlp-{arch}-qat-d{denominator}.safetensors")),
        }
    }

    /// An already compiled model at `path` (relative to the repository root).
    /// Cost: O(1).
    pub fn compiled(arch: &str, denominator: u32, path: &str) -> Self {
        ModelSpec {
            arch: arch.into(),
            denominator,
            source: Source::Compiled(path.into()),
        }
    }

    /// Short name used in file names: `mlp-784-256-256-10-d16`. Cost: O(1).
    pub fn name(&self) -> String {
        format!("mlp-{}-d{}", self.arch, self.denominator)
    }

    /// The density as the report writes it: `1/16`. Cost: O(1).
    pub fn density(&self) -> String {
        format!("1/{}", self.denominator)
    }

    /// The input file the model needs, relative to the repository root. Cost: O(1).
    pub fn source_path(&self) -> &str {
        match &self.source {
            Source::Dense(p) | Source::Compiled(p) => p,
        }
    }

    /// The compiled model that commit and prove read. Cost: O(1).
    pub fn model_file(&self) -> String {
        match &self.source {
            Source::Dense(_) => format!("{}.safetensors", self.name()),
            Source::Compiled(p) => p.clone(),
        }
    }

    /// The verifying key file. Cost: O(1).
    pub fn vk_file(&self) -> String {
        format!("{}.vk", self.name())
    }

    /// The proof file of a batch-`batch` proof (`…-d16.proof` for batch 1,
    /// `…-d16-b16.proof` otherwise). Cost: O(1).
    pub fn proof_file(&self, batch: usize) -> String {
        if batch == 1 {
            format!("{}.proof", self.name())
        } else {
            format!("{}-b{batch}.proof", self.name())
        }
    }

    /// The zero-knowledge proof file of a batch-`batch` proof: [`Self::proof_file`]
    /// with `-zk` before the extension. Cost: O(1).
    pub fn zk_proof_file(&self, batch: usize) -> String {
        self.proof_file(batch).replace(".proof", "-zk.proof")
    }

    /// Arguments that compile the model (dense source) or evaluate it (compiled
    /// source); either prints its accuracy on the 10k test images as JSON.
    pub fn prepare_args(&self) -> Vec<String> {
        match &self.source {
            Source::Dense(src) => args(&[
                "compile",
                src,
                "-o",
                &self.model_file(),
                "--density",
                &self.density(),
                "--json",
            ]),
            Source::Compiled(p) => args(&["eval", p, "--json"]),
        }
    }

    /// Arguments that commit the model (writes [`Self::vk_file`]).
    pub fn commit_args(&self) -> Vec<String> {
        args(&[
            "commit",
            &self.model_file(),
            "-o",
            &self.vk_file(),
            "--json",
        ])
    }

    /// Arguments that prove test images `0..batch` (writes [`Self::proof_file`]).
    pub fn prove_args(&self, batch: usize) -> Vec<String> {
        self.prove_args_reps(batch, 1)
    }

    /// [`Self::prove_args`] proving `reps` times in the one process (`--reps`, added
    /// when `reps > 1`), whose figures are then the median run's.
    pub fn prove_args_reps(&self, batch: usize, reps: usize) -> Vec<String> {
        self.prove_args_to(batch, reps, &self.vk_file(), &self.proof_file(batch))
    }

    /// Arguments that prove test images `0..batch` in zero knowledge
    /// (`--private-input`: the input hidden; writes [`Self::zk_proof_file`]).
    pub fn prove_zk_args(&self, batch: usize) -> Vec<String> {
        self.prove_mode_args(ZkMode::PrivateInput, batch)
    }

    /// Arguments that verify the batch-`batch` zero-knowledge proof.
    pub fn verify_zk_args(&self, batch: usize) -> Vec<String> {
        self.verify_mode_args(ZkMode::PrivateInput, batch)
    }

    /// The hiding (private-model) key file: `…-d16-hiding.vk` (its secret
    /// blindings are written beside it, with `.secret` appended). Cost: O(1).
    pub fn hiding_vk_file(&self) -> String {
        format!("{}-hiding.vk", self.name())
    }

    /// Arguments that commit the model with a hiding key (`--hiding`: writes
    /// [`Self::hiding_vk_file`] and its `.secret`).
    pub fn commit_hiding_args(&self) -> Vec<String> {
        args(&[
            "commit",
            "--hiding",
            &self.model_file(),
            "-o",
            &self.hiding_vk_file(),
            "--json",
        ])
    }

    /// The key `mode`'s proofs are made and verified against: the hiding key when
    /// the mode hides the model, the public one otherwise. Cost: O(1).
    pub fn mode_vk_file(&self, mode: ZkMode) -> String {
        if mode.hides_model() {
            self.hiding_vk_file()
        } else {
            self.vk_file()
        }
    }

    /// The batch-`batch` proof file of `mode`: [`Self::proof_file`] with
    /// `-<mode key>` before the extension (`…-d16-pm.proof`). Cost: O(1).
    pub fn mode_proof_file(&self, mode: ZkMode, batch: usize) -> String {
        self.proof_file(batch)
            .replace(".proof", &format!("-{}.proof", mode.key()))
    }

    /// Arguments that prove test images `0..batch` in `mode` (against
    /// [`Self::mode_vk_file`], `--private-input` when the mode hides the input;
    /// writes [`Self::mode_proof_file`]).
    pub fn prove_mode_args(&self, mode: ZkMode, batch: usize) -> Vec<String> {
        let mut a = self.prove_args_to(
            batch,
            1,
            &self.mode_vk_file(mode),
            &self.mode_proof_file(mode, batch),
        );
        if mode.hides_input() {
            a.push("--private-input".into());
        }
        a
    }

    /// Arguments that verify the batch-`batch` proof of `mode`.
    pub fn verify_mode_args(&self, mode: ZkMode, batch: usize) -> Vec<String> {
        args(&[
            "verify",
            "--vk",
            &self.mode_vk_file(mode),
            "--proof",
            &self.mode_proof_file(mode, batch),
            "--json",
        ])
    }

    fn prove_args_to(&self, batch: usize, reps: usize, vk: &str, proof: &str) -> Vec<String> {
        let mut a = args(&[
            "prove",
            "--model",
            &self.model_file(),
            "--vk",
            vk,
            "--dataset",
            "fashion-mnist",
            "--index",
            "0",
            "--batch",
            &batch.to_string(),
            "-o",
            proof,
            "--json",
        ]);
        if reps > 1 {
            a.extend(["--reps".to_string(), reps.to_string()]);
        }
        a
    }

    /// Arguments that verify the batch-`batch` proof.
    pub fn verify_args(&self, batch: usize) -> Vec<String> {
        args(&[
            "verify",
            "--vk",
            &self.vk_file(),
            "--proof",
            &self.proof_file(batch),
            "--json",
        ])
    }
}

/// A zero-knowledge mode of `ternzk prove`, measured beside the public proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZkMode {
    /// `--private-input`: the input and every activation hidden, the model public.
    PrivateInput,
    /// A hiding key: the model and every activation hidden, the input public.
    PrivateModel,
    /// A hiding key and `--private-input`: model, input and activations hidden.
    PrivateBoth,
}

impl ZkMode {
    /// The three modes, in the report's order.
    pub const ALL: [ZkMode; 3] = [
        ZkMode::PrivateInput,
        ZkMode::PrivateModel,
        ZkMode::PrivateBoth,
    ];

    /// Short key used in metric and file names: `zk`, `pm`, `pb`. Cost: O(1).
    pub fn key(self) -> &'static str {
        match self {
            ZkMode::PrivateInput => "zk",
            ZkMode::PrivateModel => "pm",
            ZkMode::PrivateBoth => "pb",
        }
    }

    /// The `mode` the commands print for its proofs: `private-input`,
    /// `private-model`, `private-both`. Cost: O(1).
    pub fn name(self) -> &'static str {
        match self {
            ZkMode::PrivateInput => "private-input",
            ZkMode::PrivateModel => "private-model",
            ZkMode::PrivateBoth => "private-both",
        }
    }

    /// Whether the mode hides the model (needs the hiding key). Cost: O(1).
    pub fn hides_model(self) -> bool {
        self != ZkMode::PrivateInput
    }

    /// Whether the mode hides the input (`--private-input`). Cost: O(1).
    pub fn hides_input(self) -> bool {
        self != ZkMode::PrivateModel
    }
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// The command line a user types for `args`: `ternzk` followed by them, quoted
/// for the shell. Cost: O(length).
pub fn command_line(args: &[String]) -> String {
    let mut all = vec!["ternzk".to_string()];
    all.extend(args.iter().cloned());
    shell_join(&all)
}

/// The compiled 784-4096-4096-10 model, which is not compiled by the report.
pub const BIG_MODEL: &str = "models/mlp-784-4096-4096-10-d16.ternzk.safetensors";

/// What the MLP sections run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The ladder's models, in table order.
    pub ladder: Vec<ModelSpec>,
    /// The model of the batch and breakdown sections (also in `ladder`).
    pub batch_model: ModelSpec,
    /// Batch sizes of the batch section (the first is 1).
    pub batches: Vec<usize>,
    /// Runs of each prove and verify command (the report shows the median).
    pub reps: usize,
    /// Proofs per `ternzk prove` process in the batch sections (`--reps`): their
    /// figures are in-process medians, for every batch size alike.
    pub in_process: usize,
}

impl Plan {
    /// How the figures were taken, for the sections' text: `the median of 3 runs`
    /// or `one run (quick mode)`. Cost: O(1).
    pub fn runs(&self) -> String {
        if self.reps == 1 {
            "one run (quick mode)".into()
        } else {
            format!("the median of {} runs", self.reps)
        }
    }

    /// The full plan: 784-512-10, 784-1024-10 and 784-256-256-10 at 1/4 and 1/16,
    /// 784-4096-4096-10 at 1/16 (if its file exists); batches 1, 16, 64, 256;
    /// 3 runs of every prove and verify. Cost: O(1).
    pub fn full() -> Self {
        let mut ladder = Vec::new();
        for arch in ["784-512-10", "784-1024-10", "784-256-256-10"] {
            for d in [4, 16] {
                ladder.push(ModelSpec::qat(arch, d));
            }
        }
        ladder.push(ModelSpec::compiled("784-4096-4096-10", 16, BIG_MODEL));
        Plan {
            ladder,
            batch_model: ModelSpec::qat("784-256-256-10", 16),
            batches: vec![1, 16, 64, 256],
            reps: 3,
            in_process: 11,
        }
    }

    /// The quick plan: 784-256-256-10 at 1/16 only, batches 1 and 16, one run each.
    /// Cost: O(1).
    pub fn quick() -> Self {
        let m = ModelSpec::qat("784-256-256-10", 16);
        Plan {
            ladder: vec![m.clone()],
            batch_model: m,
            batches: vec![1, 16],
            reps: 1,
            in_process: 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_use_the_names_a_user_types() {
        let m = ModelSpec::qat("784-256-256-10", 16);
        assert_eq!(
            command_line(&m.prepare_args()),
            "ternzk compile models/mlp-784-256-256-10-qat-d16.safetensors \
             -o mlp-784-256-256-10-d16.safetensors --density 1/16 --json"
        );
        assert_eq!(
            command_line(&m.commit_args()),
            "ternzk commit mlp-784-256-256-10-d16.safetensors -o mlp-784-256-256-10-d16.vk --json"
        );
        assert_eq!(
            command_line(&m.prove_args(16)),
            "ternzk prove --model mlp-784-256-256-10-d16.safetensors --vk mlp-784-256-256-10-d16.vk \
             --dataset fashion-mnist --index 0 --batch 16 -o mlp-784-256-256-10-d16-b16.proof --json"
        );
        assert_eq!(
            command_line(&m.prove_args_reps(256, 11)),
            "ternzk prove --model mlp-784-256-256-10-d16.safetensors --vk mlp-784-256-256-10-d16.vk \
             --dataset fashion-mnist --index 0 --batch 256 -o mlp-784-256-256-10-d16-b256.proof --json \
             --reps 11"
        );
        assert_eq!(
            command_line(&m.verify_args(1)),
            "ternzk verify --vk mlp-784-256-256-10-d16.vk --proof mlp-784-256-256-10-d16.proof --json"
        );
        assert_eq!(
            command_line(&m.prove_zk_args(1)),
            "ternzk prove --model mlp-784-256-256-10-d16.safetensors --vk mlp-784-256-256-10-d16.vk \
             --dataset fashion-mnist --index 0 --batch 1 -o mlp-784-256-256-10-d16-zk.proof --json \
             --private-input"
        );
        assert_eq!(
            command_line(&m.verify_zk_args(16)),
            "ternzk verify --vk mlp-784-256-256-10-d16.vk --proof mlp-784-256-256-10-d16-b16-zk.proof --json"
        );
    }

    #[test]
    fn hidden_model_commands_use_the_hiding_key() {
        let m = ModelSpec::qat("784-256-256-10", 16);
        assert_eq!(
            command_line(&m.commit_hiding_args()),
            "ternzk commit --hiding mlp-784-256-256-10-d16.safetensors \
             -o mlp-784-256-256-10-d16-hiding.vk --json"
        );
        assert_eq!(
            command_line(&m.prove_mode_args(ZkMode::PrivateModel, 1)),
            "ternzk prove --model mlp-784-256-256-10-d16.safetensors \
             --vk mlp-784-256-256-10-d16-hiding.vk --dataset fashion-mnist --index 0 --batch 1 \
             -o mlp-784-256-256-10-d16-pm.proof --json"
        );
        assert_eq!(
            command_line(&m.prove_mode_args(ZkMode::PrivateBoth, 1)),
            "ternzk prove --model mlp-784-256-256-10-d16.safetensors \
             --vk mlp-784-256-256-10-d16-hiding.vk --dataset fashion-mnist --index 0 --batch 1 \
             -o mlp-784-256-256-10-d16-pb.proof --json --private-input"
        );
        assert_eq!(
            command_line(&m.verify_mode_args(ZkMode::PrivateBoth, 1)),
            "ternzk verify --vk mlp-784-256-256-10-d16-hiding.vk \
             --proof mlp-784-256-256-10-d16-pb.proof --json"
        );
        // The private-input proof keeps its public key and file name.
        assert_eq!(
            m.prove_mode_args(ZkMode::PrivateInput, 1),
            m.prove_zk_args(1)
        );
        assert_eq!(
            m.mode_proof_file(ZkMode::PrivateInput, 1),
            m.zk_proof_file(1)
        );
    }

    #[test]
    fn a_compiled_model_is_evaluated_not_compiled() {
        let m = ModelSpec::compiled("784-4096-4096-10", 16, BIG_MODEL);
        assert_eq!(
            command_line(&m.prepare_args()),
            format!("ternzk eval {BIG_MODEL} --json")
        );
        assert_eq!(m.model_file(), BIG_MODEL);
        assert!(command_line(&m.commit_args()).ends_with(" -o mlp-784-4096-4096-10-d16.vk --json"));
    }

    #[test]
    fn plans_have_the_documented_sizes() {
        let full = Plan::full();
        assert_eq!(full.ladder.len(), 7);
        assert_eq!(full.batches, vec![1, 16, 64, 256]);
        assert_eq!(full.reps, 3);
        assert_eq!(full.in_process, 11);
        assert!(full.ladder.contains(&full.batch_model));
        let quick = Plan::quick();
        assert_eq!(quick.ladder, vec![quick.batch_model.clone()]);
        assert_eq!(quick.batches, vec![1, 16]);
        assert_eq!(quick.reps, 1);
        assert_eq!(quick.runs(), "one run (quick mode)");
        assert_eq!(full.runs(), "the median of 3 runs");
    }
}
