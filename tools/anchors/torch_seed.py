# The anchor script that measured the figures netc is compared with (shared/anchors/ of the project); run through tools/bench-anchors.
"""The seed's PyTorch pipeline, measured on this machine as the anchor for netc.

Usage: python torch_seed.py DATA_DIR MODE [--epochs N] [--threads T]
MODE: throughput   img/s of training (with and without the seed's PIL augmentation) and of inference
      accuracy     the seed's recipe (KFold + ensemble) with a given number of epochs; prints test accuracy
      oracle OUT   writes a safetensors checkpoint, a batch, and PyTorch's eval logits for cross-checking netc
"""
import sys, time, argparse, json, os
import numpy as np, torch, torch.nn as nn, torch.optim as optim
from torch.utils.data import Dataset, DataLoader, SubsetRandomSampler
from torchvision import transforms

class Net(nn.Module):
    def __init__(self, dropout=0.25):
        super().__init__()
        def blk(cin, cout, two):
            layers = [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout)]
            if two: layers += [nn.Conv2d(cout, cout, 3, stride=2, padding=1), nn.ReLU(), nn.BatchNorm2d(cout)]
            layers += [nn.MaxPool2d(2, 2), nn.Dropout(dropout)]
            return nn.Sequential(*layers)
        self.conv1 = blk(1, 32, True); self.conv2 = blk(32, 64, True); self.conv3 = blk(64, 128, False)
        self.fc = nn.Sequential(nn.Linear(128, 10))
    def forward(self, x):
        x = self.conv3(self.conv2(self.conv1(x)))
        return self.fc(x.view(x.size(0), -1))

class ImgDS(Dataset):
    def __init__(self, x, y, t): self.x, self.y, self.t = x, y, t
    def __len__(self): return len(self.x)
    def __getitem__(self, i):
        f = self.t(self.x[i].reshape(28, 28))
        return (f, int(self.y[i])) if self.y is not None else f

def load(d):
    import pandas as pd
    tr = pd.read_csv(os.path.join(d, 'train.csv')); te = pd.read_csv(os.path.join(d, 'test.csv'))
    lab = pd.read_csv(os.path.join(d, 'test_labels.csv'))['Label'].values
    return tr.iloc[:, 0].values, tr.iloc[:, 1:].values.astype(np.uint8), te.values.astype(np.uint8), lab

def transforms_for(xtr):
    m, s = xtr.mean() / 255, xtr.std() / 255
    aug = transforms.Compose([transforms.ToPILImage(), transforms.RandomRotation(5),
        transforms.RandomAffine(degrees=5, translate=(0.1, 0.1), scale=(0.9, 1.1)),
        transforms.RandomPerspective(distortion_scale=0.1, p=0.25), transforms.ToTensor(), transforms.Normalize(m, s)])
    plain = transforms.Compose([transforms.ToPILImage(), transforms.ToTensor(), transforms.Normalize(m, s)])
    return aug, plain, m, s

def train_epoch(model, opt, loader, lossf):
    model.train(); n = 0
    for f, l in loader:
        opt.zero_grad(); loss = lossf(model(f), l); loss.backward(); opt.step(); n += l.shape[0]
    return n

def throughput(a):
    ytr, xtr, xte, yte = load(a.data)
    aug, plain, m, s = transforms_for(xtr)
    n = a.images
    res = {'threads': torch.get_num_threads(), 'torch': torch.__version__}
    model = Net(); opt = optim.Adam(model.parameters(), lr=1e-4); lossf = nn.CrossEntropyLoss()
    # 1. the seed's loader: PIL augmentation on the fly, batch 100, num_workers=0
    dl = DataLoader(ImgDS(xtr[:n], ytr[:n], aug), batch_size=100, shuffle=True)
    t = time.perf_counter(); k = train_epoch(model, opt, dl, lossf); res['train_seed_pipeline_img_s'] = k / (time.perf_counter() - t)
    # 2. compute only: pre-normalised tensors in memory
    X = torch.tensor((xtr[:n].reshape(-1, 1, 28, 28) / 255.0 - m) / s, dtype=torch.float32); Y = torch.tensor(ytr[:n])
    def compute_epoch(mdl, o):
        mdl.train(); perm = torch.randperm(len(X))
        for i in range(0, len(X), 100):
            idx = perm[i:i+100]; o.zero_grad(); lossf(mdl(X[idx]), Y[idx]).backward(); o.step()
    compute_epoch(model, opt)  # warm
    t = time.perf_counter(); compute_epoch(model, opt); res['train_compute_img_s'] = len(X) / (time.perf_counter() - t)
    # 3. inference, eval mode, batch 1000
    model.eval(); XT = torch.tensor((xte.reshape(-1, 1, 28, 28) / 255.0 - m) / s, dtype=torch.float32)
    with torch.no_grad():
        model(XT[:1000]); t = time.perf_counter()
        for i in range(0, len(XT), 1000): model(XT[i:i+1000])
        res['infer_img_s'] = len(XT) / (time.perf_counter() - t)
    # 4. torch.compile (inductor) training, compute only
    if a.compile:
        try:
            cm = Net(); co = optim.Adam(cm.parameters(), lr=1e-4); cmc = torch.compile(cm)
            def cstep(mdl, o):
                mdl.train(); perm = torch.randperm(len(X))
                for i in range(0, len(X), 100):
                    idx = perm[i:i+100]; o.zero_grad(); lossf(mdl(X[idx]), Y[idx]).backward(); o.step()
            t = time.perf_counter(); cstep(cmc, co); res['compile_first_epoch_s'] = time.perf_counter() - t
            t = time.perf_counter(); cstep(cmc, co); res['train_compiled_img_s'] = len(X) / (time.perf_counter() - t)
        except Exception as e:
            res['compile_error'] = repr(e)[:300]
    print(json.dumps(res))

def accuracy(a):
    from sklearn.model_selection import KFold
    ytr, xtr, xte, yte = load(a.data)
    aug, plain, m, s = transforms_for(xtr)
    train_set = ImgDS(xtr, ytr, aug if a.augment else plain); val_set = ImgDS(xtr, ytr, plain)
    test_set = ImgDS(xte, None, plain)
    kf = KFold(n_splits=a.folds, shuffle=True, random_state=0)
    lossf = nn.CrossEntropyLoss(); models = []; t0 = time.perf_counter(); log = []
    for fold, (tri, vai) in enumerate(kf.split(xtr)):
        tl = DataLoader(train_set, batch_size=100, sampler=SubsetRandomSampler(tri))
        vl = DataLoader(val_set, batch_size=1000, sampler=SubsetRandomSampler(vai))
        model = Net(); opt = optim.Adam(model.parameters(), lr=a.lr); best = None; best_v = 1e9
        for e in range(a.epochs):
            train_epoch(model, opt, tl, lossf); model.eval(); vl_sum = 0; c = 0; tot = 0
            with torch.no_grad():
                for f, l in vl:
                    o = model(f); vl_sum += lossf(o, l).item() * len(l); c += (o.argmax(1) == l).sum().item(); tot += len(l)
            if vl_sum < best_v: best_v = vl_sum; best = {k: v.clone() for k, v in model.state_dict().items()}
            log.append((fold, e, vl_sum / tot, c / tot, time.perf_counter() - t0)); print(log[-1], flush=True)
        model.load_state_dict(best); model.eval(); models.append(model)
        if a.max_folds and fold + 1 >= a.max_folds: break
    X = torch.tensor((xte.reshape(-1, 1, 28, 28) / 255.0 - m) / s, dtype=torch.float32)
    with torch.no_grad():
        pred = sum(mm(X) for mm in models) / len(models)
    acc = (pred.argmax(1).numpy() == yte).mean()
    print(json.dumps({'test_accuracy': float(acc), 'folds_used': len(models), 'epochs': a.epochs, 'seconds': time.perf_counter() - t0}))

def oracle(a):
    from safetensors.torch import save_file
    torch.manual_seed(7)
    ytr, xtr, xte, yte = load(a.data)
    aug, plain, m, s = transforms_for(xtr)
    model = Net(); opt = optim.Adam(model.parameters(), lr=1e-3); lossf = nn.CrossEntropyLoss()
    X = torch.tensor((xtr[:2000].reshape(-1, 1, 28, 28) / 255.0 - m) / s, dtype=torch.float32); Y = torch.tensor(ytr[:2000])
    for i in range(0, 2000, 100):  # a little training so BN running stats and weights are not at init
        opt.zero_grad(); lossf(model(X[i:i+100]), Y[i:i+100]).backward(); opt.step()
    model.eval(); os.makedirs(a.out, exist_ok=True)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(a.out, 'weights.safetensors'))
    XT = torch.tensor((xte[:256].reshape(-1, 1, 28, 28) / 255.0 - m) / s, dtype=torch.float32)
    with torch.no_grad(): logits = model(XT).numpy()
    np.savetxt(os.path.join(a.out, 'logits.csv'), logits, delimiter=',', fmt='%.7g')
    json.dump({'mean': float(m), 'std': float(s), 'n': 256, 'names': list(sd.keys())}, open(os.path.join(a.out, 'meta.json'), 'w'), indent=1)
    print('wrote', a.out)

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('data'); p.add_argument('mode')
    p.add_argument('--out'); p.add_argument('--epochs', type=int, default=3); p.add_argument('--folds', type=int, default=5)
    p.add_argument('--max-folds', type=int, default=0); p.add_argument('--lr', type=float, default=1e-4)
    p.add_argument('--augment', type=int, default=1); p.add_argument('--images', type=int, default=12000)
    p.add_argument('--threads', type=int, default=2); p.add_argument('--compile', type=int, default=1)
    a = p.parse_args(); torch.set_num_threads(a.threads)
    {'throughput': throughput, 'accuracy': accuracy, 'oracle': oracle}[a.mode](a)
