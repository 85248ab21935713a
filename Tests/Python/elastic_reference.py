"""torchvision's ElasticTransform on netc's random field: usage elastic_reference.py CASE.json.

CASE.json holds height, width, alpha, sigma, the raw field netc drew (noise: 2·height·width values uniform in
-1..1, the x field then the y field), the image (height·width floats) and what netc made of them: its pixel
displacements (displacement, the x then the y plane) and its warped image (warped). The field is smoothed and
scaled exactly as ElasticTransform.get_params does after its torch.rand, and the image warped by
torchvision.transforms.functional.elastic_transform (bilinear, zero fill). Prints a JSON object with the largest
differences: field (in pixels) and image (in pixel values).
"""
import json
import sys

import torch
import torchvision.transforms.functional as F

case = json.load(open(sys.argv[1]))
height, width, alpha, sigma = case["height"], case["width"], case["alpha"], case["sigma"]
noise = torch.tensor(case["noise"], dtype=torch.float32).reshape(2, 1, 1, height, width)
size = [height, width]


def smoothed(field, scale):
    # ElasticTransform.get_params, after dx = torch.rand(...) * 2 - 1.
    if sigma > 0.0:
        taps = int(8 * sigma + 1)
        if taps % 2 == 0:
            taps += 1
        field = F.gaussian_blur(field, [taps, taps], [sigma, sigma])
    return field * alpha / scale


dx = smoothed(noise[0], size[0])
dy = smoothed(noise[1], size[1])
displacement = torch.concat([dx, dy], 1).permute([0, 2, 3, 1])  # 1 x H x W x 2, in grid units
image = torch.tensor(case["image"], dtype=torch.float32).reshape(1, height, width)
warped = F.elastic_transform(image, displacement, F.InterpolationMode.BILINEAR, None)

# Grid units to pixels: a grid unit is width / 2 pixels in x and height / 2 in y.
pixels_x = displacement[0, :, :, 0] * width / 2
pixels_y = displacement[0, :, :, 1] * height / 2
ours = torch.tensor(case["displacement"], dtype=torch.float32).reshape(2, height, width)
print(json.dumps({
    "field": max((pixels_x - ours[0]).abs().max().item(), (pixels_y - ours[1]).abs().max().item()),
    "image": (warped[0] - torch.tensor(case["warped"]).reshape(height, width)).abs().max().item(),
    "largest_displacement": max(pixels_x.abs().max().item(), pixels_y.abs().max().item()),
}))
